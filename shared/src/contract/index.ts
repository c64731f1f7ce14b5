export * from './define';
export * from './schemas';
export * as patient from './patient';
export { patientApi } from './patient';
export * as his from './his';
export { hisApi } from './his';
