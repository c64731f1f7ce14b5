import type { Channel } from '@mip/shared';

/** Who is calling. Every authenticated route gets exactly one of these. */
export type Principal =
  | { kind: 'patient'; sessionId: string; patientKey: string; channel: Exclude<Channel, 'kiosk' | 'cashier'>; openId: string }
  | { kind: 'his'; clientId: string }
  | { kind: 'staff'; staffId: string; roles: readonly string[]; sessionId: string }
  | { kind: 'kiosk'; deviceId: string }
  | { kind: 'anonymous' };

export type PrincipalOf<K extends Principal['kind']> = Extract<Principal, { kind: K }>;
