package org.distribank.app.service;

/** A bank of the consortium the app is connected to. */
public record BankRef(String id, String name, String url) {
}
