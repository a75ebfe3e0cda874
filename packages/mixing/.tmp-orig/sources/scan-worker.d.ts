export {};
//# sourceMappingURL=scan-worker.d.ts.map