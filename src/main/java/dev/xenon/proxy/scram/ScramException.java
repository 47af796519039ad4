package dev.xenon.proxy.scram;

/** The compute did not complete SCRAM as a holder of the role's verifier would. */
public final class ScramException extends Exception {
    public ScramException(String message) {
        super(message);
    }
}
