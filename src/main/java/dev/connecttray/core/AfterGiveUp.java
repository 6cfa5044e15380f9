package dev.connecttray.core;

/** What happens when a round of attempts is used up. */
public enum AfterGiveUp {
    /** Wait {@code retry.cooldown}, then start a new round (the tray's default). */
    COOLDOWN,
    /** Exit 69 so a service manager sees it (the headless default). */
    EXIT
}
