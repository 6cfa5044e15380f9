package dev.connecttray.config;

/** Which mDNS responder publishes the device: avahi-daemon when it runs, or the one in this process. */
public enum ZeroconfBackend {
    /** avahi-daemon when it runs and answers, else the built-in responder. */
    AUTO,
    /** avahi-daemon; an error when it is not usable. */
    AVAHI,
    /** the responder in this process, even when avahi-daemon runs. */
    BUILTIN
}
