// `npx cdk synth -c logPipeline=s3`: the demo with the central log pipeline on.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDemoApp } from '../../bin/demo';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { resources } from './support/template';

describe('demo with -c logPipeline=s3', () => {
  const stack = buildDemoApp(new App({ context: { logPipeline: 's3' } }), false);
  const template = Template.fromStack(stack);

  it('ships the access log and the WAF log through Firehose into the S3 archive', () => {
    const prefixes = Object.values(resources(template, 'AWS::KinesisFirehose::DeliveryStream')).map(
      (s) => s.Properties.ExtendedS3DestinationConfiguration.Prefix.split('/')[0],
    );
    expect(prefixes.sort()).toEqual(['access-logs', 'waf-logs']);
    template.resourceCountIs('AWS::S3::Bucket', 2);
  });

  it('passes all five cdk-nag packs with the pipeline on', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });

  it('rejects an unknown context value', () => {
    expect(() => buildDemoApp(new App({ context: { logPipeline: 'splunk' } }), false)).toThrow(
      "demo: context logPipeline must be 's3', got 'splunk'",
    );
  });
});
