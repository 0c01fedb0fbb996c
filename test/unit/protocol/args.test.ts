import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/protocol/args.js';
import { ConfigError } from '../../../src/protocol/errors.js';

describe('parseCommand', () => {
  it.each([
    [['spec'], { kind: 'spec' }],
    [['check', '--config', 'c.json'], { kind: 'check', config: 'c.json' }],
    [['discover', '--config', 'c.json'], { kind: 'discover', config: 'c.json' }],
    [['read', '--config', 'c.json', '--catalog', 'k.json'], { kind: 'read', config: 'c.json', catalog: 'k.json' }],
    [['read', '--config', 'c.json', '--catalog', 'k.json', '--state', 's.json'], { kind: 'read', state: 's.json' }],
    [['read', '--config=c.json', '--catalog=k.json'], { kind: 'read', config: 'c.json' }],
  ])('parses %j', (argv, expected) => {
    expect(parseCommand(argv)).toMatchObject(expected);
  });

  it('accepts --debug and collects unknown flags instead of failing', () => {
    const command = parseCommand(['check', '--config', 'c.json', '--debug', '--future-flag', 'x']);
    expect(command).toMatchObject({ kind: 'check', debug: true });
    expect(command.ignored).toContain('--future-flag');
  });

  it.each([[[]], [['bogus']], [['check']], [['read', '--config', 'c.json']], [['check', '--config']]])('refuses %j with usage', (argv) => {
    expect(() => parseCommand(argv)).toThrow(ConfigError);
    expect(() => parseCommand(argv)).toThrow(/usage/);
  });
});
