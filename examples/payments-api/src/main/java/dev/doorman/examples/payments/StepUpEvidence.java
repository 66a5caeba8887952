package dev.doorman.examples.payments;

import dev.doorman.Doorman;
import dev.doorman.authz.Subject;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * EXTENSION POINT for step-up (the MFA feature): who is calling, as the payments policy sees them.
 *
 * <p>The rule {@value PaymentsService#APPROVAL_RULE} lets a payment over the limit through for the role
 * {@code payments:approver}, or when {@code subject.amr} holds a second factor (any of the RFC 8176 values
 * {@code otp}, {@code hwk}, {@code swk}, {@code mfa}) AND {@code subject.authTime} is within the last 5 minutes.
 * So the Subject returned here must carry, in {@code amr}, the methods of the session's authentications and, in
 * {@code authTime}, the time of its most recent one (a step-up must move it forward).
 *
 * <p>Today {@link #sessionOnly} is wired: Doorman's session Subject has {@code amr = [pwd]}, so only the approver
 * role passes. When MFA lands, wire the session's MFA state here (or make {@code Doorman.subject(ctx)} report it
 * and keep {@link #sessionOnly}); the policy file does not change.
 */
@FunctionalInterface
public interface StepUpEvidence {
    Optional<Subject> caller(Context ctx);

    static StepUpEvidence sessionOnly(Doorman doorman) {
        return doorman::subject;
    }
}
