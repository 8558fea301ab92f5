import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create a QA environment between dev and staging, owned by a team, with its GitOps folder in the shared repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'environment',
          action: 'model-deployments:environment:create',
          name: 'Create the environment',
          input: {
            name: 'qa',
            title: 'Quality assurance',
            cluster: 'main',
            stage: 15,
            ownerGroups: ['group:default/risk-ml'],
            gitopsRepoUrl: 'https://github.com/acme/ml-gitops',
            gitopsPath: 'qa',
          },
        },
      ],
    }),
  },
  {
    description:
      'A restricted environment in its own namespace, whose GitOps folder is proposed as a pull request',
    example: yaml.stringify({
      steps: [
        {
          id: 'environment',
          action: 'model-deployments:environment:create',
          input: {
            name: 'production-eu',
            namespace: 'models-prod-eu',
            cluster: 'eu-west',
            stage: 40,
            restricted: true,
            gitopsRepoUrl: 'https://github.com/acme/production-models',
            strategy: 'pull-request',
          },
        },
      ],
    }),
  },
];
