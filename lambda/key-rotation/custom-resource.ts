import { log, RotationContext } from './context';
import { retireAllKeys } from './retire-keys';

/** The CloudFormation custom-resource event (the `ConsumerKeyCleanup` resource of each consumer). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

export type ResponseSender = (url: string, body: string) => Promise<void>;

/** Answers CloudFormation through the pre-signed S3 URL of the event. */
export const sendResponse: ResponseSender = async (url, body) => {
  const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation response upload failed with HTTP ${response.status}`);
};

/**
 * The consumer's lifecycle hook. Keys are created by rotation (the first one right after deploy),
 * so Create and Update have nothing to do; Delete removes the consumer's keys, because a removed
 * consumer must not keep a working key (CloudFormation does not own the keys and would leave them).
 */
export async function handleCustomResource(
  ctx: RotationContext,
  event: CustomResourceEvent,
  respond: ResponseSender = sendResponse,
): Promise<void> {
  const physicalResourceId = event.PhysicalResourceId ?? `api-keys:${ctx.config.consumerId}`;
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'OK';
  if (event.RequestType === 'Delete') {
    try {
      const stillEnabled = await retireAllKeys(ctx);
      if (stillEnabled.length > 0) {
        status = 'FAILED';
        reason = `could not delete or disable API keys ${stillEnabled.join(', ')} of consumer ${ctx.config.consumerId}; see the function's log`;
      }
    } catch (error) {
      status = 'FAILED';
      reason = `could not list the API keys of consumer ${ctx.config.consumerId}: ${(error as Error).name ?? 'Error'}`;
    }
  }
  log(status === 'SUCCESS' ? 'INFO' : 'ERROR', 'custom resource', { requestType: event.RequestType, status, reason });
  await respond(
    event.ResponseURL,
    JSON.stringify({
      Status: status,
      Reason: reason,
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    }),
  );
}
