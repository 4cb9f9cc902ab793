import { Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { SecureApiConfigError } from '../model/config-error';

/** What a VPC link integration writes: the link, the load balancer it targets (V2 only), what could not be checked. */
export interface BoundVpcLinkTarget {
  /** `connectionId`: the VPC link's id. */
  readonly connectionId: string;
  /** `integrationTarget`: the ALB or NLB ARN, for a VPC link V2. */
  readonly integrationTarget?: string;
  /** Things that could not be checked at synth time (an imported link or load balancer), each a synth warning. */
  readonly unverified: string[];
}

/**
 * The private backend of {@link OperationIntegration.vpcLink}: a load balancer inside a VPC, reached through a VPC link.
 * `VpcLinkTarget.v2(link, loadBalancer)` for a VPC link V2 (`AWS::ApiGatewayV2::VpcLink`) and an ALB or NLB;
 * `VpcLinkTarget.v1(link)` for a REST VPC link (`apigw.VpcLink`, NLB only, which AWS now calls legacy).
 * Either way the load balancer must be internal: an internet-facing one would let clients bypass the API.
 */
export abstract class VpcLinkTarget {
  /**
   * A VPC link V2 and the ALB or NLB the integration sends requests to (`integrationTarget`).
   * Import an existing link with `apigwv2.VpcLink.fromVpcLinkAttributes` and a load balancer with
   * `elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes` (or the NLB equivalent).
   */
  public static v2(link: apigwv2.IVpcLink, loadBalancer: elbv2.ILoadBalancerV2): VpcLinkTarget {
    return new VpcLinkV2Target(link, loadBalancer);
  }

  /** A REST VPC link (V1) with its network load balancers. Prefer {@link VpcLinkTarget.v2} for new links. */
  public static v1(link: apigw.IVpcLink): VpcLinkTarget {
    return new VpcLinkV1Target(link);
  }

  /**
   * The link and target, checked: a link with no target and an internet-facing load balancer are synth errors.
   * @jsii ignore an internal seam between the integration and its target.
   */
  public abstract bind(what: string): BoundVpcLinkTarget;
}

class VpcLinkV2Target extends VpcLinkTarget {
  constructor(
    private readonly link: apigwv2.IVpcLink,
    private readonly loadBalancer: elbv2.ILoadBalancerV2,
  ) {
    super();
  }

  public bind(what: string): BoundVpcLinkTarget {
    if (this.link === undefined || this.loadBalancer === undefined) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `${what} names a VPC link with no target: pass VpcLinkTarget.v2(link, loadBalancer)`,
      );
    }
    const unverified: string[] = [];
    const verdict = loadBalancerScheme(this.loadBalancer);
    assertInternal(verdict, what, unverified);
    return { connectionId: this.link.vpcLinkId, integrationTarget: this.loadBalancer.loadBalancerRef.loadBalancerArn, unverified };
  }
}

class VpcLinkV1Target extends VpcLinkTarget {
  constructor(private readonly link: apigw.IVpcLink) {
    super();
  }

  public bind(what: string): BoundVpcLinkTarget {
    const unverified: string[] = [];
    const resource = this.link?.node.defaultChild;
    if (!(resource instanceof apigw.CfnVpcLink)) {
      unverified.push(
        `${what}: the VPC link is imported, so SecureApi cannot check that it has a target or that its load balancer is internal`,
      );
      return { connectionId: this.link.vpcLinkId, unverified };
    }
    const stack = Stack.of(resource);
    const targets = stack.resolve(resource.targetArns) as unknown[] | undefined;
    if (targets === undefined || targets.length === 0) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `${what} names a VPC link with no target: give the apigw.VpcLink its network load balancers (targets, or addTargets) before passing it`,
      );
    }
    for (const target of targets) assertInternal(schemeOfArn(stack, target), what, unverified);
    return { connectionId: this.link.vpcLinkId, unverified };
  }
}

type SchemeVerdict = { scheme: string | undefined; known: boolean; label: string };

/** The scheme of a load balancer made in this app; unknown for an imported one. */
function loadBalancerScheme(loadBalancer: IConstruct): SchemeVerdict {
  const resource = loadBalancer.node.defaultChild;
  if (resource instanceof elbv2.CfnLoadBalancer) return { scheme: resource.scheme, known: true, label: loadBalancer.node.path };
  return { scheme: undefined, known: false, label: loadBalancer.node.path };
}

/** The scheme of the load balancer whose ARN a V1 link lists, when that load balancer is in the same stack. */
function schemeOfArn(stack: Stack, arn: unknown): SchemeVerdict {
  if (typeof arn === 'string' && !Token.isUnresolved(arn)) return { scheme: undefined, known: false, label: arn };
  const wanted = JSON.stringify(arn);
  const match = stack.node
    .findAll()
    .find((c): c is elbv2.CfnLoadBalancer => c instanceof elbv2.CfnLoadBalancer && JSON.stringify(stack.resolve(c.ref)) === wanted);
  return match === undefined
    ? { scheme: undefined, known: false, label: wanted }
    : { scheme: match.scheme, known: true, label: match.node.scope?.node.path ?? match.node.path };
}

/**
 * An internet-facing load balancer behind a VPC link is a second way in: clients could call the backend without the
 * API's authorizer, WAF, validation and throttling. (CloudFormation's default scheme, when none is set, is internet-facing.)
 */
function assertInternal(verdict: SchemeVerdict, what: string, unverified: string[]): void {
  if (!verdict.known) {
    unverified.push(
      `${what}: the load balancer ${verdict.label} is imported, so SecureApi cannot check that it is internal; an internet-facing one lets clients bypass the API`,
    );
    return;
  }
  if (verdict.scheme !== 'internal') {
    throw new SecureApiConfigError(
      '',
      'integrations',
      `${what} targets the load balancer ${verdict.label}, which is internet-facing: clients could reach the backend without the API's authorizer, WAF and validation. Make it internal (internetFacing: false)`,
    );
  }
}
