package dev.connecttray;

public final class Main {
    public static void main(String[] args) {
        System.out.println("connect-tray");
    }
}
