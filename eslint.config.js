import tseslint from 'typescript-eslint';
import layering from './build/eslint/layering.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'renderer/dist/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { linernotes: layering },
    rules: {
      'linernotes/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
