export {};
//# sourceMappingURL=register.test.d.ts.map