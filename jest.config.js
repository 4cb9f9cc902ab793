/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Synthesizing CDK apps is CPU-bound; two workers match the two cores we have.
  maxWorkers: 2,
  testTimeout: 60000,
};
