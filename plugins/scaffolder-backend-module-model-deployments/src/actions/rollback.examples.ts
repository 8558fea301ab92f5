import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Roll production back to what a recorded promotion left, as a commit',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollback',
          action: 'model-deployments:model:rollback',
          name: 'Roll back production',
          input: {
            entityRef: 'component:default/fraud-scorer',
            environment: 'production',
            promotionId: '3f1c2a9e-7b4d-4e8a-9c61-2d5f0b8e4a17',
          },
        },
      ],
    }),
  },
  {
    description:
      "Restore a model's manifests in staging as they were at a commit of the GitOps repository",
    example: yaml.stringify({
      steps: [
        {
          id: 'rollback',
          action: 'model-deployments:model:rollback',
          name: 'Restore staging',
          input: {
            entityRef: 'component:default/fraud-scorer',
            environment: 'staging',
            commit: '9b2e4c1',
          },
        },
      ],
    }),
  },
  {
    description:
      'Open a pull request that rolls production back to the promotion picked in the form',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollback',
          action: 'model-deployments:model:rollback',
          name: 'Propose the rollback',
          input: {
            entityRef: '${{ parameters.model }}',
            environment: 'production',
            promotionId: '${{ parameters.promotionId }}',
            strategy: 'pull-request',
          },
        },
      ],
    }),
  },
  {
    description:
      'Preview a rollback: with the dry run of the template editor, the step returns the diff and writes nothing',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollback',
          action: 'model-deployments:model:rollback',
          name: 'Preview the rollback',
          input: {
            entityRef: '${{ parameters.model }}',
            environment: '${{ parameters.environment }}',
            commit: '${{ parameters.commit }}',
          },
        },
      ],
      output: {
        text: [
          {
            title: 'Changes',
            content: '```diff\n${{ steps.rollback.output.diff }}\n```',
          },
        ],
      },
    }),
  },
];
