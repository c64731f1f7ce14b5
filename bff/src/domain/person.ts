/**
 * A person as the BFF keeps them between requests (a kiosk visit, a family member): name and ID
 * number sealed, masked copies for display, a keyed hash to recognise them, and where they are insured.
 */
export interface SealedPerson {
  /** AES-GCM sealed {idNo, name} (security/pii.ts) */
  identitySealed: string;
  nameMasked: string;
  idNoMasked: string;
  /** keyed hash of the ID number (PiiCipher.lookupHash): recognises the same person again */
  idHash: string;
  regionCode: string;
  regionName: string;
  insured: boolean;
}
