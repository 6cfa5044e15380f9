package dev.connecttray.config;

/** How much the log says. */
public enum LogLevel { TRACE, DEBUG, INFO, WARN, ERROR }
