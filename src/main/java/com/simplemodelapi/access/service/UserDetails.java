package com.simplemodelapi.access.service;

import com.simplemodelapi.access.dao.GrantRow;
import com.simplemodelapi.access.dao.KeyRow;
import com.simplemodelapi.access.dao.UserRow;

import java.util.List;

/** A user with every key they were given (by id and prefix) and every grant they hold. */
public record UserDetails(UserRow user, List<KeyRow> keys, List<GrantRow> grants) {
}
