/**
 * The staff contract. Imported by path until shared/src/contract/index.ts re-exports it; both
 * paths resolve to the same module, so switching to '@mip/shared' later changes nothing else.
 */
export * from '@mip/shared/src/contract/staff';
