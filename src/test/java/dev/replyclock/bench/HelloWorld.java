package dev.replyclock.bench;

/** The start-up benchmark's baseline: what a JVM costs doing nothing. */
public final class HelloWorld {

    private HelloWorld() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
