export * from "./gateway-responses";
