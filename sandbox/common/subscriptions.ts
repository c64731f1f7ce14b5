/**
 * One-time subscribe messages (WeChat 一次性订阅消息, Alipay 小程序模板消息): each time the user
 * accepts a template, one message of it may be sent.
 */
export class Subscriptions {
  private readonly left = new Map<string, Map<string, number>>();

  accept(user: string, templateId: string): void {
    const m = this.left.get(user) ?? new Map<string, number>();
    m.set(templateId, (m.get(templateId) ?? 0) + 1);
    this.left.set(user, m);
  }

  /** true (and one fewer left) when the user may receive one more message of the template */
  consume(user: string, templateId: string): boolean {
    const m = this.left.get(user);
    const n = m?.get(templateId) ?? 0;
    if (!m || n <= 0) return false;
    m.set(templateId, n - 1);
    return true;
  }
}
