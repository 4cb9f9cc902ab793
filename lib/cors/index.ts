export * from "./cors-preflight";
