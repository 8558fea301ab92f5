import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Promote a model to production from the stage before it, with the strategy production is configured for',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'model-deployments:model:promote',
          name: 'Promote to production',
          input: {
            entityRef: 'component:default/fraud-scorer',
            to: 'production',
          },
        },
      ],
    }),
  },
  {
    description:
      'Open a pull request that promotes from staging to production with three replicas',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'model-deployments:model:promote',
          name: 'Propose the promotion',
          input: {
            entityRef: '${{ parameters.model }}',
            from: 'staging',
            to: 'production',
            strategy: 'pull-request',
            replicas: 3,
          },
        },
      ],
    }),
  },
];
