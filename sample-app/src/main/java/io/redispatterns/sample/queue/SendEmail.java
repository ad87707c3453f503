package io.redispatterns.sample.queue;

/**
 * The payload of an e-mail job.
 * @param to the recipient
 * @param subject the subject
 * @param failTimes how many attempts fail before the mail goes out (a stand-in for a flaky mail server)
 */
public record SendEmail(String to, String subject, int failTimes) {

}
