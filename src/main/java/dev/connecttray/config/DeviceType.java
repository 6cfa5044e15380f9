package dev.connecttray.config;

/** The device type Spotify apps show, with its icon. Names match Spotify Connect's. */
public enum DeviceType {
    COMPUTER, TABLET, SMARTPHONE, SPEAKER, TV, AVR, STB, AUDIO_DONGLE, GAME_CONSOLE, CAST_VIDEO, CAST_AUDIO,
    AUTOMOBILE, SMARTWATCH, CHROMEBOOK, CAR_THING, OBSERVER, HOME_THING
}
