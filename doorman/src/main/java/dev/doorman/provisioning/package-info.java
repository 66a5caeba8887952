/**
 * Accounts, roles and OAuth clients as code. A JSON provisioning file lists roles, users and clients;
 * {@code doorman import FILE} shows the plan (what it would create or change) and applies it in one transaction, and
 * {@code doorman export} writes the database back in the same format, with password hashes, never plain passwords,
 * and without client secrets.
 *
 * <ul>
 *   <li>The file states the desired state of what it names. Accounts, roles and clients it does not name are left
 *       alone: an import never deletes or disables anything it does not mention.</li>
 *   <li>A field left out of an entry keeps its current value; a new account gets the safe default (no name, no
 *       password, not verified, not disabled, no roles). A stated {@code roles} list is the exact set of roles.</li>
 *   <li>A plain {@code password} must satisfy the password policy; it is compared with the stored hash, so an
 *       unchanged password is neither a change nor a rehash. A {@code passwordHash} must be an Argon2id PHC string.</li>
 *   <li>A client is checked by the same rules as {@code doorman client create}. Its {@code clientSecret} is compared
 *       with the stored SHA-256; left out, the client keeps its secret. Only the hash is kept, so an export cannot
 *       contain secrets.</li>
 *   <li>Importing the same file twice changes nothing the second time.</li>
 * </ul>
 */
package dev.doorman.provisioning;
