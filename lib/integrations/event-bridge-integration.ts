import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ApiOperation } from '../model';
import { SecureApiConfigError } from '../model/config-error';
import { putEventsResponseTemplate, putEventsTemplate } from './mapping-templates';
import type { OperationIntegrationConfig } from './operation-integration';
import { checkTemplateLiteral, sendsValidatedBody, serviceIntegration, serviceRole } from './service-integration';

const FACTORY = 'OperationIntegration.eventBridge';

/** Options for {@link OperationIntegration.eventBridge}. */
export interface EventBridgeOperationIntegrationOptions {
  /** The events' `source` (for example `com.example.orders`); `aws.` sources are AWS's own. */
  readonly source: string;
  /** The events' `detail-type` (for example `OrderPlaced`). */
  readonly detailType: string;
  /**
   * How long API Gateway waits for EventBridge (50 ms to 29 s).
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
}

/** `PutEvents` of one event to one bus; see OperationIntegration.eventBridge. */
export class EventBridgePutEventsBinding {
  constructor(
    private readonly bus: events.IEventBus,
    private readonly options: EventBridgeOperationIntegrationOptions,
  ) {
    checkTemplateLiteral(options.source, FACTORY, 'source', 256);
    checkTemplateLiteral(options.detailType, FACTORY, 'detailType', 128);
    if (options.source.startsWith('aws.')) {
      throw new SecureApiConfigError('', 'integrations', `${FACTORY} source '${options.source}' is reserved for AWS services`);
    }
  }

  public bind(operation: ApiOperation, scope: Construct): OperationIntegrationConfig {
    const hasBody = sendsValidatedBody(operation, FACTORY, false);
    const bus = this.bus;
    const role = serviceRole(scope, bus, 'PutEvents', [
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
    ]);
    return {
      integration: serviceIntegration({
        operation,
        factory: FACTORY,
        service: 'events',
        target: 'action/PutEvents',
        region: bus.env.region,
        role,
        requestTemplate: putEventsTemplate(bus.eventBusArn, this.options.source, this.options.detailType, hasBody),
        requestHeaders: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSEvents.PutEvents' },
        defaultSuccessStatus: '202',
        successTemplate: putEventsResponseTemplate(),
        timeout: this.options.timeout,
      }),
    };
  }
}
