import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const SQL_IN_REPOSITORIES =
  'SQL belongs in a *.repository.ts (services take an EntityManager and call the repository)';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.data/',
      '.test-data/',
      'coverage/',
      'bin/',
      'test-artifacts/',
      'web/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            'test/support/*.js',
            'bin/*.js',
            'web/*.js',
            'web/scripts/*.js',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // SQL lives in repositories: elsewhere no `.query(` (nor TypeORM repositories, query builders
    // or runners) and no value import of typeorm; `import type` is fine (services pass an
    // EntityManager through). The places that legitimately talk to the database directly:
    ignores: [
      '**/*.repository.ts', // the repository layer itself
      '**/*.entity.ts', // TypeORM's decorators are value imports
      'src/database/**', // data source, migrations runner, transactor, advisory locks, app role
      'migrations/**', // schema changes are SQL
      'test/**', // tests set up and inspect rows directly
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'typeorm', allowTypeImports: true, message: SQL_IN_REPOSITORIES }],
          patterns: [
            { group: ['typeorm/*'], allowTypeImports: true, message: SQL_IN_REPOSITORIES },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(query|getRepository|createQueryBuilder|createQueryRunner)$/]',
          message: SQL_IN_REPOSITORIES,
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
