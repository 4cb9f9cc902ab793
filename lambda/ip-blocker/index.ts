import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { IP_BLOCKER_EXPIRY_EVENT } from '../../contracts/ip-blocker';
import { BlockerDeps, DeliveryResult, ExpiryResult, processDelivery, releaseExpired } from './blocker';
import { readConfig } from './config';
import { Telemetry } from './telemetry';

const waf = new WAFV2Client({});
const dynamo = new DynamoDBClient({});

/** The events this function receives: an access-log subscription delivery, or the scheduled expiry run. */
export type IpBlockerEvent = { awslogs: { data: string } } | typeof IP_BLOCKER_EXPIRY_EVENT | { [key: string]: unknown };

function deps(): BlockerDeps {
  const config = readConfig(process.env);
  return { config, waf, dynamo, telemetry: new Telemetry(config.metricNamespace, config.apiName), now: Date.now };
}

/**
 * Blocks clients whose authentication or validation failures in the API's access log reach a
 * threshold within a sliding window, and releases them when their block expires.
 */
export async function handler(event: IpBlockerEvent): Promise<DeliveryResult | ExpiryResult> {
  const context = deps();
  if (typeof event === 'object' && event !== null && 'awslogs' in event) {
    return processDelivery((event.awslogs as { data?: unknown } | undefined)?.data, context);
  }
  if (typeof event === 'object' && event !== null && (event as { action?: unknown }).action === IP_BLOCKER_EXPIRY_EVENT.action) {
    return releaseExpired(context);
  }
  context.telemetry.log('WARN', 'ignored an event that is neither a log delivery nor the expiry run', {
    keys: Object.keys(event ?? {}).slice(0, 10),
  });
  return { events: 0, failures: 0, malformed: 1, skipped: { 'not-an-event': 1 }, neverBlocked: 0, blocked: [], overflow: [] };
}
