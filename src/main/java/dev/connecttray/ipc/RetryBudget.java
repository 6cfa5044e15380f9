package dev.connecttray.ipc;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.RetrySettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The retry budget a supervisor hands its receiver child, in one place: the retry settings the
 * supervisor runs with (the child does not read them from the config file again, which may have
 * changed since, and the afterGiveUp default of the parent's mode comes with them) and how much of
 * the round the ended children spent. On the child's command line as one JSON argument.
 *
 * @param retry        the settings, afterGiveUp resolved
 * @param attemptsUsed how much of the first round is already spent, 0 to {@code maxAttempts - 1}
 */
public record RetryBudget(RetrySettings retry, int attemptsUsed) {
    public RetryBudget {
        Objects.requireNonNull(retry, "retry");
        if (attemptsUsed < 0 || attemptsUsed >= retry.maxAttempts()) {
            throw new IllegalArgumentException("attemptsUsed must be from 0 to " + (retry.maxAttempts() - 1)
                    + " (retry.maxAttempts - 1), was " + attemptsUsed);
        }
    }

    /** One compact JSON object; durations in milliseconds, so nothing is rounded on the way. */
    public String encode() {
        JsonObject o = new JsonObject();
        o.addProperty("initialDelayMs", retry.initialDelay().toMillis());
        o.addProperty("maxDelayMs", retry.maxDelay().toMillis());
        o.addProperty("multiplier", retry.multiplier());
        o.addProperty("jitter", retry.jitter());
        o.addProperty("maxAttempts", retry.maxAttempts());
        o.addProperty("attemptTimeoutMs", retry.attemptTimeout().toMillis());
        o.addProperty("cooldownMs", retry.cooldown().toMillis());
        o.addProperty("afterGiveUp", retry.afterGiveUp().configName());
        o.addProperty("attemptsUsed", attemptsUsed);
        return o.toString();
    }

    /** @throws IllegalArgumentException what is wrong with {@code json}, in words */
    public static RetryBudget decode(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            RetrySettings retry = new RetrySettings(millis(o, "initialDelayMs"), millis(o, "maxDelayMs"),
                    number(o, "multiplier"), number(o, "jitter"), (int) number(o, "maxAttempts"),
                    millis(o, "attemptTimeoutMs"), millis(o, "cooldownMs"),
                    AfterGiveUp.ofConfigName(field(o, "afterGiveUp").getAsString()));
            return new RetryBudget(retry, (int) number(o, "attemptsUsed"));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IllegalArgumentException("not a retry budget object (" + e.getMessage() + ")", e);
        }
    }

    private static com.google.gson.JsonElement field(JsonObject o, String name) {
        com.google.gson.JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) throw new IllegalArgumentException("\"" + name + "\" is missing");
        return e;
    }

    private static double number(JsonObject o, String name) {
        return field(o, name).getAsDouble();
    }

    private static Duration millis(JsonObject o, String name) {
        return Duration.ofMillis(field(o, name).getAsLong());
    }
}
