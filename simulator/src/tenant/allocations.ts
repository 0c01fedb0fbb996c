import { formatPercentage } from '../format.js';
import { Rng, hash } from '../random.js';
import { LIST, allocationListField } from './custom-fields.js';
import type { EntryCore } from './entries.js';
import { childId, entryId } from './keys.js';
import type { AllocationRecord } from './records.js';
import { COST_CENTERS, PROJECTS } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

const HUNDRED_PERCENT = 10_000_000_000; // 100.00000000 in 1e-8 units

/** Percentages (1e-8 units) of an entry's allocation lines; they always sum to 100%. */
export function allocationShares(t: Tenant, core: EntryCore): number[] {
  if (core.allocations <= 1) return [HUNDRED_PERCENT];
  const rng = new Rng(hash(t.seed, TAG.allocation, core.r, core.k));
  if (core.allocations === 2) {
    const p = rng.pick([50, 60, 70, 75, 80]) * 100_000_000;
    return [p, HUNDRED_PERCENT - p];
  }
  return rng.chance(0.5)
    ? [5_000_000_000, 2_500_000_000, 2_500_000_000]
    : [3_333_333_333, 3_333_333_333, 3_333_333_334];
}

export function allocationRecord(t: Tenant, core: EntryCore, a: number, share: number, base: string): AllocationRecord {
  const { r, k } = core;
  const owner = t.user(t.owner(r));
  const split = core.allocations > 1;
  const costCenterNo = (owner.costCenter + a) % COST_CENTERS.length;
  const costCenter = COST_CENTERS[costCenterNo];
  const projectNo = (r + k + a) % PROJECTS.length;
  const project = PROJECTS[projectNo];
  const id = childId(t, 'allocationIds', r, k, a);
  return {
    EntryID: entryId(t, r, k),
    Percentage: formatPercentage(share),
    IsPercentEdited: split,
    // The implicit single 100% allocation is hidden (allocations doc sample).
    IsHidden: !split,
    AccountCode1: core.type.accountCode,
    AccountCode2: null,
    Custom1: costCenter === undefined ? null : allocationListField(t, LIST.costCenter, costCenterNo, costCenter.code, costCenter.name, 'Cost Center', 1),
    Custom2: split && project !== undefined ? allocationListField(t, LIST.project, projectNo, project.code, project.name, 'Project', 2) : null,
    Custom3: null,
    Custom4: null,
    Custom5: null,
    Custom6: null,
    Custom7: null,
    Custom8: null,
    Custom9: null,
    Custom10: null,
    Custom11: null,
    Custom12: null,
    Custom13: null,
    Custom14: null,
    Custom15: null,
    Custom16: null,
    Custom17: null,
    Custom18: null,
    Custom19: null,
    Custom20: null,
    ID: id,
    URI: `${base}/api/v3.0/expense/allocations/${id}`,
  };
}
