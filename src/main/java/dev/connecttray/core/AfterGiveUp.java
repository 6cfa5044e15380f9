package dev.connecttray.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What happens when a round of attempts is used up. Each value's {@link #configName} is its one
 * spelling outside the code: in {@code retry.afterGiveUp}, in the retry budget handed to the
 * receiver, and in every message that names it.
 */
public enum AfterGiveUp {
    /** Wait {@code retry.cooldown}, then start a new round (the tray's default). */
    COOLDOWN("cooldown"),
    /** Exit 69 so a service manager sees it (the headless default). */
    EXIT("exit");

    private final String configName;

    AfterGiveUp(String configName) {
        this.configName = configName;
    }

    /** As written in the configuration and on the wire: {@code cooldown}, {@code exit}. */
    public String configName() {
        return configName;
    }

    /**
     * The value written {@code name} (its {@link #configName}, any case, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the values allowed
     */
    public static AfterGiveUp ofConfigName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (AfterGiveUp a : values()) {
            if (a.configName.equals(wanted)) return a;
        }
        throw new IllegalArgumentException("afterGiveUp must be one of " + Arrays.stream(values())
                .map(a -> "\"" + a.configName + "\"").collect(Collectors.joining(", ")) + ", got \"" + name + "\"");
    }
}
