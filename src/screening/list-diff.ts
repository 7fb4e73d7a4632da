export type ChangeKind = 'added' | 'removed' | 'changed';

export interface EntityChange {
  entityId: string;
  change: ChangeKind;
}

/** What a new snapshot adds, removes and changes against the previous one, by entity id and content hash. Pure. */
export const diffSnapshots = (
  previous: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, string>,
): EntityChange[] => {
  const changes: EntityChange[] = [];
  for (const [entityId, hash] of next) {
    const before = previous.get(entityId);
    if (before === undefined) changes.push({ entityId, change: 'added' });
    else if (before !== hash) changes.push({ entityId, change: 'changed' });
  }
  for (const entityId of previous.keys()) if (!next.has(entityId)) changes.push({ entityId, change: 'removed' });
  return changes.sort((a, b) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0));
};

export const countChanges = (changes: readonly EntityChange[]): Record<ChangeKind, number> => ({
  added: changes.filter((c) => c.change === 'added').length,
  removed: changes.filter((c) => c.change === 'removed').length,
  changed: changes.filter((c) => c.change === 'changed').length,
});
