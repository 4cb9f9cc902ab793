import { errorBody, HTTP_ERRORS, HttpError } from '../../contracts/http-responses';
import { SQS_CALLER_ATTRIBUTES } from '../../contracts/service-integrations';

/**
 * The Velocity (VTL) mapping templates of the AWS service integrations (SQS, EventBridge, Step Functions).
 * Pure text builders, so test/integrations/mapping-templates.test.ts renders them against hostile bodies.
 *
 * The rules every request template keeps:
 * - the client's text enters only as the validated body through `$input.json('$')` (JSON re-serialized by
 *   API Gateway) and the caller's identity through `$context.authorizer.*`, never as raw `$input.body`;
 * - text placed inside a JSON string goes through {@link jsonStringEscape} (`$util.escapeJavaScript` turns `'`
 *   into `\'`, which JSON does not allow, so `.replaceAll("\\'","'")` undoes that one escape); text placed in a
 *   form body goes through `$util.urlEncode`;
 * - inserted values are never parsed again as template text: Velocity interpolates a string literal's own text
 *   only, so a body that carries `#set` or `$util` stays data.
 * Synth-time values written into a template (an ARN, an event source) are checked to hold no VTL syntax first.
 */

/** The VTL expression that escapes `expr` for use inside a JSON string. */
export function jsonStringEscape(expr: string): string {
  return `$util.escapeJavaScript(${expr}).replaceAll("\\\\'","'")`;
}

/**
 * Sets `$envelope` to the JSON text of {@link ServiceIntegrationEnvelope}: the validated body (or `null`),
 * the caller from the authorizer's context, the request id. Quiet references (`$!`) render an absent context
 * key as an empty string.
 */
function envelopePrelude(hasBody: boolean): string[] {
  return [
    `#set($sub = ${jsonStringEscape('"$!context.authorizer.sub"')})`,
    `#set($clientId = ${jsonStringEscape('"$!context.authorizer.client_id"')})`,
    hasBody ? `#set($body = "$!input.json('$')")` : '#set($body = "null")',
    '#if($body == "")#set($body = "null")#end',
    // A double quote in a variable: Velocity 1.7 string literals have no escape for it.
    `#set($q = '"')`,
    '#set($envelope = "{${q}body${q}:$body,${q}caller${q}:{${q}sub${q}:${q}$sub${q},${q}client_id${q}:${q}$clientId${q}},${q}requestId${q}:${q}$context.requestId${q}}")',
  ];
}

/** The FIFO message group of an SQS message: a fixed id, or the caller's `sub`. */
export interface SqsMessageGroupRule {
  /** A fixed group id (checked to be URL- and VTL-safe). */
  readonly fixed?: string;
  /** Group by the caller's `sub` (one ordered stream per caller). */
  readonly perCaller?: boolean;
}

/** SQS `SendMessage` (query protocol, form-encoded): the validated body as the message, the caller as attributes. */
export function sqsSendMessageTemplate(fifo?: SqsMessageGroupRule): string {
  const attribute = (name: string, variable: string) =>
    `#if($${variable} != "")#set($n = $n + 1)&MessageAttribute.\${n}.Name=${name}` +
    `&MessageAttribute.\${n}.Value.DataType=String&MessageAttribute.\${n}.Value.StringValue=$util.urlEncode($${variable})#end`;
  let fifoPart = '';
  if (fifo !== undefined) {
    const group = fifo.fixed !== undefined ? encodeURIComponent(fifo.fixed) : '$util.urlEncode("$!context.authorizer.sub")';
    // One message per API request: the request id deduplicates API Gateway's own retries, not the client's.
    fifoPart = `&MessageGroupId=${group}&MessageDeduplicationId=$util.urlEncode($context.requestId)`;
  }
  // One line: a newline would end up inside the last form value.
  return [
    '#set($n = 0)',
    '#set($sub = "$!context.authorizer.sub")',
    '#set($clientId = "$!context.authorizer.client_id")',
    `Action=SendMessage&MessageBody=$util.urlEncode($input.json('$'))`,
    fifoPart,
    attribute(SQS_CALLER_ATTRIBUTES.sub, 'sub'),
    attribute(SQS_CALLER_ATTRIBUTES.clientId, 'clientId'),
  ].join('');
}

/** EventBridge `PutEvents` (JSON 1.1): one entry whose `detail` is the envelope. */
export function putEventsTemplate(eventBusArn: string, source: string, detailType: string, hasBody: boolean): string {
  return [
    ...envelopePrelude(hasBody),
    `{"Entries":[{"EventBusName":${JSON.stringify(eventBusArn)},"Source":${JSON.stringify(source)},` +
      `"DetailType":${JSON.stringify(detailType)},"Detail":"${jsonStringEscape('$envelope')}"}]}`,
  ].join('\n');
}

/** Step Functions `StartExecution` / `StartSyncExecution` (JSON 1.0): the envelope as input, the request id as name. */
export function startExecutionTemplate(stateMachineArn: string, hasBody: boolean): string {
  return [
    ...envelopePrelude(hasBody),
    `{"stateMachineArn":${JSON.stringify(stateMachineArn)},"name":"$context.requestId","input":"${jsonStringEscape('$envelope')}"}`,
  ].join('\n');
}

/** The uniform error body (contracts/http-responses.ts) with API Gateway's request id; nothing from the service. */
export function errorTemplate(error: HttpError, overrideStatus?: number): string {
  const body = errorBody(error, '$context.requestId');
  return overrideStatus === undefined ? body : `#set($context.responseOverride.status = ${overrideStatus})\n${body}`;
}

/** The answer to a sent message: its id only. */
export function sqsResponseTemplate(): string {
  return `{"messageId":"${jsonStringEscape("$input.path('$.SendMessageResponse.SendMessageResult.MessageId')")}"}`;
}

/** PutEvents answers 200 even when the entry failed (`FailedEntryCount` > 0): that is a 502 too. */
export function putEventsResponseTemplate(): string {
  return [
    `#set($failed = "$!input.path('$.FailedEntryCount')")`,
    '#if($failed != "0")',
    errorTemplate(HTTP_ERRORS.badGateway, 502),
    '#else',
    `{"eventId":"${jsonStringEscape("$input.path('$.Entries[0].EventId')")}"}`,
    '#end',
  ].join('\n');
}

/** StartExecution (asynchronous): the execution's name, which is the request id; never its ARN. */
export function startExecutionResponseTemplate(): string {
  return '{"executionId":"$context.requestId"}';
}

/**
 * StartSyncExecution answers 200 whatever the execution's outcome: SUCCEEDED gives the state machine's output
 * (its JSON text, `null` when absent), TIMED_OUT a 504, anything else (FAILED, a missing status) a 502.
 * The execution's `error` and `cause` never reach the client.
 */
export function startSyncExecutionResponseTemplate(): string {
  return [
    `#set($status = "$!input.path('$.status')")`,
    '#if($status == "SUCCEEDED")',
    `#set($output = "$!input.path('$.output')")`,
    '#if($output == "")null#else$output#end',
    '#elseif($status == "TIMED_OUT")',
    errorTemplate(HTTP_ERRORS.gatewayTimeout, 504),
    '#else',
    errorTemplate(HTTP_ERRORS.badGateway, 502),
    '#end',
  ].join('\n');
}
