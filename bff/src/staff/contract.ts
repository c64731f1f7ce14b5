/** The staff contract with all its schemas and types (the package index exports only `staffApi` and the `staff` namespace). */
export * from '@mip/shared/src/contract/staff';
