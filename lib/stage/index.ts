export * from './stage-hardening';
export * from './secure-stage';
