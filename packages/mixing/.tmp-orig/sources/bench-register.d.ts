export {};
//# sourceMappingURL=bench-register.d.ts.map