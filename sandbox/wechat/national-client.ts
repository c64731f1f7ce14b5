/** The national mobile-payment centre sandbox's internal endpoints for channel sandboxes. */
export interface NationalPayResult {
  ok: boolean;
  ordStas?: string;
  traceTime?: string;
  code?: string;
  message?: string;
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`national ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  if (!res.ok && !(typeof json === 'object' && json && 'ok' in json)) throw new Error(`national ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return json as T;
}

export function issuePayAuth(nationalUrl: string, q: { idNo: string; name: string; channel: 'wechat' | 'alipay' }): Promise<{ payAuthNo: string; expiresAt: string }> {
  return post(`${nationalUrl.replace(/\/+$/, '')}/sandbox/internal/pay-auth`, q);
}

export function settleAtCentre(
  nationalUrl: string,
  q: { payOrdId: string; payAuthNo: string; channel: 'wechat' | 'alipay'; cashFen: number; cashTradeNo: string },
): Promise<NationalPayResult> {
  return post(`${nationalUrl.replace(/\/+$/, '')}/sandbox/internal/pay`, q);
}
