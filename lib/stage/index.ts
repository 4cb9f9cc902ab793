export * from "./stage-hardening";
