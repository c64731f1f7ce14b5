/**
 * Tests whose orders and reconciliation must fall on one China day: a run that would start in the
 * last minutes before midnight there (16:00 UTC) begins just after it instead.
 */
export async function clearOfChinaMidnight(marginMs = 6 * 60_000): Promise<void> {
  const day = 24 * 3600_000;
  const untilMidnight = (((16 * 3600_000 - (Date.now() % day)) % day) + day) % day;
  if (untilMidnight < marginMs) await new Promise((r) => setTimeout(r, untilMidnight + 1000));
}
