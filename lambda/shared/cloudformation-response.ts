/** The fields of a CloudFormation custom-resource event that an answer needs. */
export interface CustomResourceRequest {
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

/** The outcome a custom-resource handler reports. */
export interface CustomResourceOutcome {
  readonly status: 'SUCCESS' | 'FAILED';
  /** Shown in the stack events: never a secret. */
  readonly reason: string;
  readonly physicalResourceId: string;
  readonly data?: { [key: string]: string };
}

/**
 * Answers CloudFormation through the event's pre-signed S3 URL. Every custom-resource handler of
 * ours answers through this one function, so the protocol lives in one place.
 */
export async function sendCloudFormationResponse(event: CustomResourceRequest, outcome: CustomResourceOutcome): Promise<void> {
  const body = JSON.stringify({
    Status: outcome.status,
    Reason: outcome.reason,
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: outcome.data ?? {},
  });
  // The pre-signed URL was signed without a content type: send none.
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation response was refused: HTTP ${response.status}`);
}
