export {};
//# sourceMappingURL=record-scanner.test.d.ts.map