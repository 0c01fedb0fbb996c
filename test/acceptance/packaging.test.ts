import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs here: the image contract (CAT test_image_labels, test_image_environment_variables) is
// checked on the Dockerfile itself, against metadata.yaml and package.json.
const dockerfile = readFileSync('Dockerfile', 'utf8');
const metadata = (parse(readFileSync('metadata.yaml', 'utf8')) as { metadataSpecVersion: string; data: Record<string, unknown> });
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string; engines: { node: string }; type: string; bin: Record<string, string> };
const spec = JSON.parse(readFileSync('spec.json', 'utf8')) as { documentationUrl: string };

const label = (name: string): string | undefined => new RegExp(`LABEL ${name.replaceAll('.', '\\.')}="([^"]+)"`).exec(dockerfile)?.[1];

describe('Dockerfile', () => {
  it('labels the image with the metadata name and version', () => {
    expect(label('io.airbyte.name')).toBe(metadata.data['dockerRepository']);
    expect(label('io.airbyte.version')).toBe(metadata.data['dockerImageTag']);
    expect(metadata.data['dockerImageTag']).toBe(pkg.version);
  });

  it('sets AIRBYTE_ENTRYPOINT to exactly the ENTRYPOINT', () => {
    const env = /ENV AIRBYTE_ENTRYPOINT="([^"]+)"/.exec(dockerfile)?.[1];
    const entrypoint = (JSON.parse(/ENTRYPOINT (\[.*\])/.exec(dockerfile)?.[1] ?? '[]') as string[]).join(' ');
    expect(env).toBeTruthy();
    expect(env).toBe(entrypoint);
  });

  it('is multi-stage and ships a current Node LTS, production dependencies only, as a non-root user', () => {
    const image = /ARG NODE_IMAGE=node:(\d+)/.exec(dockerfile)?.[1];
    expect(Number(image) % 2).toBe(0); // even majors are the LTS lines
    expect(Number(image)).toBeGreaterThanOrEqual(22);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('starts through an entrypoint that sizes the heap from the cgroup limit and execs the bin, which runs node with its flags', () => {
    const script = readFileSync('docker/entrypoint.sh', 'utf8');
    expect(statSync('docker/entrypoint.sh').mode & 0o111).not.toBe(0);
    expect(script).toMatch(/memory\.max/);
    expect(script).toMatch(/--max-old-space-size/);
    expect(script).toMatch(/^exec \/airbyte\/integration_code\/bin\/source-concur\.js "\$@"$/m);
    expect(statSync('bin/source-concur.js').mode & 0o111).not.toBe(0);
    expect(readFileSync('bin/source-concur.js', 'utf8').split('\n')[0]).toMatch(/^#!\/usr\/bin\/env -S node( --[\w-]+=\S+)*$/);
  });
});

describe('metadata.yaml', () => {
  it('has the keys the registry requires, with valid values', () => {
    expect(metadata.metadataSpecVersion).toBe('1.0');
    for (const key of ['name', 'definitionId', 'connectorType', 'dockerRepository', 'dockerImageTag', 'license', 'documentationUrl', 'githubIssueLabel', 'connectorSubtype', 'releaseStage']) {
      expect(metadata.data[key], key).toBeTruthy();
    }
    expect(metadata.data['definitionId']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(metadata.data['connectorType']).toBe('source');
    expect(metadata.data['connectorSubtype']).toBe('api');
    expect(['alpha', 'beta', 'generally_available', 'custom']).toContain(metadata.data['releaseStage']);
    expect(['community', 'certified', 'enterprise', 'archived']).toContain(metadata.data['supportLevel']);
    expect(metadata.data['documentationUrl']).toBe(spec.documentationUrl);
  });

  it('names Concur hosts, suggested streams and the language', () => {
    const hosts = (metadata.data['allowedHosts'] as { hosts: string[] }).hosts;
    expect(hosts).toEqual(expect.arrayContaining(['*.api.concursolutions.com']));
    expect((metadata.data['suggestedStreams'] as { streams: string[] }).streams.length).toBeGreaterThan(0);
    expect(metadata.data['tags']).toContain('language:typescript');
  });
});

describe('package.json', () => {
  it('is the ESM package source-concur with its CLI and Node >= 20', () => {
    expect(pkg.name).toBe('source-concur');
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('>=20');
    expect(pkg.bin['source-concur']).toBe('bin/source-concur.js');
  });
});
