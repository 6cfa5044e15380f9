package dev.connecttray.config;

/** How the receiver gets its Spotify login. */
public enum AuthMode {
    /** Advertise on the LAN and store the credentials a Spotify app hands over. */
    ZEROCONF,
    /** Log in with the credentials in {@code auth.credentialsFile}. */
    STORED
}
