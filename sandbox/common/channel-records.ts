import type { BillMutation } from './bill-mutations';
import { Subscriptions } from './subscriptions';

/** One attempt of a channel sandbox to deliver a notification to the BFF. */
export interface DeliveryLog {
  op: string;
  key?: string;
  url: string;
  eventId?: string;
  attempt: number;
  status?: number;
  error?: string;
  at: string;
}

/**
 * What both channel sandboxes (WeChat, Alipay) keep besides their trades: one-time subscriptions
 * and the messages sent on them, bill mutations, notification deliveries and bill files to download.
 */
export class ChannelRecords<Message> {
  readonly subscriptions = new Subscriptions();
  readonly messages: Message[] = [];
  readonly mutations: BillMutation[] = [];
  readonly deliveries: DeliveryLog[] = [];
  readonly billFiles = new Map<string, { data: Buffer; expiresAt: number }>();
}
