export * from "./api-logs";
