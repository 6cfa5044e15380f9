package dev.connecttray.core;

public enum AfterGiveUp { COOLDOWN, EXIT }
