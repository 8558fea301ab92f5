// @ts-check

/**
 * Approvals in the portal: a promotion into an environment that requires
 * approval waits in `promotions` as `pending-approval`, with what it will
 * write and its policy here, and each approver's decision in
 * `promotion_approval_decisions` (one per approver and promotion).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table
      .timestamp('started_at', { useTz: true, precision: 3 })
      .nullable()
      .comment(
        'When an approved promotion began to be written (created_at is when it was asked for)',
      );
  });
  // One promotion of a model into an environment waits at a time, however
  // many replicas are asked at once.
  await knex.raw(
    "CREATE UNIQUE INDEX promotions_one_pending_approval ON promotions (entity_ref, to_environment) WHERE status = 'pending-approval'",
  );
  await knex.schema.createTable('promotion_approvals', table => {
    table
      .string('promotion_id', 64)
      .primary()
      .references('id')
      .inTable('promotions')
      .onDelete('CASCADE')
      .comment('The promotion waiting for (or given) approval');
    table
      .integer('required')
      .notNullable()
      .comment('How many approvals it needs');
    table
      .text('groups')
      .notNullable()
      .comment('JSON array of the group entity refs whose members approve');
    table
      .timestamp('expires_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it expires undecided');
    table
      .text('change')
      .notNullable()
      .comment('JSON: the request and the files it writes once approved');
    table.index(['expires_at'], 'promotion_approvals_expires_at_idx');
  });
  await knex.schema.createTable('promotion_approval_decisions', table => {
    table
      .string('promotion_id', 64)
      .notNullable()
      .references('promotion_id')
      .inTable('promotion_approvals')
      .onDelete('CASCADE');
    table
      .string('approver', 255)
      .notNullable()
      .comment("The approver's user entity ref");
    table.string('decision', 16).notNullable().comment('approved or rejected');
    table.text('comment').nullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    // One decision per approver: a second one is refused, on any replica.
    table.primary(['promotion_id', 'approver']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('promotion_approval_decisions');
  await knex.schema.dropTable('promotion_approvals');
  await knex.raw('DROP INDEX promotions_one_pending_approval');
  await knex.schema.alterTable('promotions', table => {
    table.dropColumn('started_at');
  });
};
