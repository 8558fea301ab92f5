import { parseCommitMessage } from './commits';

describe('parseCommitMessage', () => {
  const amara = { name: 'Amara Okafor', email: 'amara@example.com' };

  it("reads Seldon Enterprise Platform's JSON message", () => {
    expect(
      parseCommitMessage(
        '{"Action":"Deployment updated","Message":"iris v4 with two replicas","Author":"Amara Okafor","Email":"amara@example.com"}',
        amara,
      ),
    ).toEqual({
      action: 'Deployment updated',
      summary: 'iris v4 with two replicas',
    });
  });

  it('names who asked for a change a tool committed', () => {
    expect(
      parseCommitMessage(
        '{"Action":"Promoted from staging","Message":"","Author":"Priya Raman","Email":"priya@example.com"}\n',
        { name: 'Seldon Deploy', email: 'deploy@example.com' },
      ),
    ).toEqual({
      action: 'Promoted from staging',
      summary: 'Promoted from staging',
      requestedBy: { name: 'Priya Raman', email: 'priya@example.com' },
    });
  });

  it('matches the author by email whatever its case', () => {
    expect(
      parseCommitMessage(
        '{"Action":"Deployment created","Author":"amara","Email":"Amara@Example.com"}',
        amara,
      ).requestedBy,
    ).toBeUndefined();
  });

  it.each([
    ['Bump iris to v4\n\nRetrained on November data.', 'Bump iris to v4'],
    ['{not json', '{not json'],
    ['{"unrelated": true}', '{"unrelated": true}'],
    ['[1, 2]', '[1, 2]'],
    ['', ''],
  ])('summarizes %j by its first line', (message, summary) => {
    expect(parseCommitMessage(message, amara)).toEqual({ summary });
  });
});
