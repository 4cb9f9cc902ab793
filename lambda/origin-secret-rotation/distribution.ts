import {
  type DistributionConfig,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { ORIGIN_VERIFY_HEADER } from '../../contracts/origin-secret-rotation';
import { errorName, log, OriginRotationContext, withoutSecrets } from './context';

/** A distribution whose origins do not carry the origin header: the rotation refuses to edit it. */
export class MissingOriginHeaderError extends Error {
  constructor(distributionId: string) {
    super(
      `origin-secret-rotation: no origin of distribution ${distributionId} sends the ${ORIGIN_VERIFY_HEADER} header; refusing to edit it`,
    );
    this.name = 'MissingOriginHeaderError';
  }
}

const isOriginHeader = (name: string | undefined) => name?.toLowerCase() === ORIGIN_VERIFY_HEADER;

/** The origin-header values the distribution's origins send (one per origin that sends it). */
export function originHeaderValues(config: DistributionConfig): string[] {
  return (config.Origins?.Items ?? []).flatMap((origin) =>
    (origin.CustomHeaders?.Items ?? []).filter((h) => isOriginHeader(h.HeaderName)).map((h) => h.HeaderValue ?? ''),
  );
}

/** The configuration with every origin that sends the origin header sending `value`; nothing else changes. */
export function withOriginHeaderValue(config: DistributionConfig, value: string): DistributionConfig {
  return {
    ...config,
    Origins: config.Origins && {
      ...config.Origins,
      Items: (config.Origins.Items ?? []).map((origin) =>
        origin.CustomHeaders?.Items?.some((h) => isOriginHeader(h.HeaderName))
          ? {
              ...origin,
              CustomHeaders: {
                ...origin.CustomHeaders,
                Items: origin.CustomHeaders.Items.map((h) => (isOriginHeader(h.HeaderName) ? { ...h, HeaderValue: value } : h)),
              },
            }
          : origin,
      ),
    },
  };
}

/** What CloudFront sends now, and whether every edge location has it (`Deployed`) or not yet (`InProgress`). */
export interface DistributionState {
  /** The value the distribution's configuration sends. */
  readonly headerValue: string;
  readonly deployed: boolean;
}

export async function readDistribution(ctx: OriginRotationContext): Promise<DistributionState> {
  const id = ctx.config.distributionId;
  const out = await ctx.cloudFront.send(new GetDistributionCommand({ Id: id }));
  const config = out.Distribution?.DistributionConfig;
  if (config === undefined) throw new Error(`origin-secret-rotation: GetDistribution returned no configuration for ${id}`);
  const values = [...new Set(originHeaderValues(config))];
  if (values.length === 0) throw new MissingOriginHeaderError(id);
  if (values.length > 1) throw new Error(`origin-secret-rotation: the origins of distribution ${id} send different origin secrets`);
  return { headerValue: values[0], deployed: out.Distribution?.Status === 'Deployed' };
}

const MAX_PRECONDITION_ATTEMPTS = 5;

/** Makes the distribution send `value`, re-reading the configuration when a deployment changed it meanwhile. */
export async function setOriginHeader(ctx: OriginRotationContext, value: string): Promise<void> {
  const id = ctx.config.distributionId;
  for (let attempt = 1; ; attempt++) {
    const out = await ctx.cloudFront.send(new GetDistributionConfigCommand({ Id: id }));
    if (out.DistributionConfig === undefined || out.ETag === undefined) {
      throw new Error(`origin-secret-rotation: GetDistributionConfig returned no configuration for ${id}`);
    }
    const values = originHeaderValues(out.DistributionConfig);
    if (values.length === 0) throw new MissingOriginHeaderError(id);
    if (values.every((v) => v === value)) return;
    try {
      await ctx.cloudFront.send(
        new UpdateDistributionCommand({
          Id: id,
          IfMatch: out.ETag,
          DistributionConfig: withOriginHeaderValue(out.DistributionConfig, value),
        }),
      );
      log('INFO', 'distribution origin header updated', { distributionId: id });
      return;
    } catch (error) {
      if (errorName(error) !== 'PreconditionFailed' || attempt >= MAX_PRECONDITION_ATTEMPTS)
        throw withoutSecrets(error, [...values, value]);
      log('WARN', 'distribution changed while updating; reading it again', { attempt });
    }
  }
}

/** How often the rotation asks whether the distribution has reached every edge location. */
export const DEPLOYED_POLL_MS = 20_000;

/**
 * Waits until the distribution is Deployed with `value`; false when the deadline comes first. `eachPoll` runs
 * after every look at the distribution while it sends `value`.
 */
export async function waitUntilDeployedWith(
  ctx: OriginRotationContext,
  value: string,
  eachPoll: () => Promise<void> = async () => {},
): Promise<boolean> {
  for (;;) {
    const state = await readDistribution(ctx);
    if (state.headerValue !== value) return false;
    await eachPoll();
    if (state.deployed) return true;
    if (ctx.clock.now() + DEPLOYED_POLL_MS > ctx.deadline) return false;
    await ctx.clock.sleep(DEPLOYED_POLL_MS);
  }
}
