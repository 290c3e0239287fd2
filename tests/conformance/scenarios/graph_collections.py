"""Graph collections: ``get_collection`` with scope filters (a regex matched at the start),
``trainable``/``collections`` arguments, ``add_to_collection``, ordering.
"""


def scenario_collections_get_collection_scope_filter(tf, rec):
    # testGetCollection, with tf.get_collection(key, scope)
    tf.get_variable("a", [])
    tf.get_variable("b", [], trainable=False)
    with tf.variable_scope("foo_") as scope1:
        tf.get_variable("a", [])
        tf.get_variable("b", [], trainable=False)
    with tf.variable_scope("foo") as scope2:
        tf.get_variable("a", [])
        tf.get_variable("b", [], trainable=False)
    G, T = tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES
    rec.names("foo_/ T", tf.get_collection(T, scope1.name + "/"))
    rec.names("foo_/ G", tf.get_collection(G, scope1.name + "/"))
    rec.names("foo/ T", tf.get_collection(T, scope2.name + "/"))
    rec.names("foo G (prefix match)", tf.get_collection(G, "foo"))
    rec.names("all G", tf.get_collection(G))
    rec.names("all T", tf.get_collection(T))


def scenario_collections_regex_prefix_match(tf, rec):
    with tf.variable_scope("discriminator_pair"):
        tf.get_variable("w", [1])
    with tf.variable_scope("disc"):
        tf.get_variable("w", [1])
    with tf.variable_scope("generator"):
        tf.get_variable("w", [1])
    with tf.variable_scope("a.c"):
        tf.get_variable("w", [1])
    with tf.variable_scope("abc"):
        tf.get_variable("w", [1])
    G = tf.GraphKeys.GLOBAL_VARIABLES
    rec.names("disc", tf.get_collection(G, "disc"))
    rec.names("disc/", tf.get_collection(G, "disc/"))
    rec.names("regex a.c", tf.get_collection(G, "a.c"))
    rec.names("regex alternation", tf.get_collection(G, "gen|abc"))
    rec.names("not anchored at end", tf.get_collection(G, "w"))
    rec.names("dot star", tf.get_collection(G, ".*w"))
    rec.names("trainable_variables(scope)", tf.trainable_variables("disc"))
    rec.names("global_variables(scope)", tf.global_variables("generator"))


def scenario_collections_scope_filter_skips_nameless_items(tf, rec):
    tf.add_to_collection("mixed", 3)
    tf.add_to_collection("mixed", "str")
    v = tf.get_variable("v", [])
    tf.add_to_collection("mixed", v)
    rec("all len", len(tf.get_collection("mixed")))
    rec.names("filtered", tf.get_collection("mixed", "v"))


def scenario_collections_add_to_collection(tf, rec):
    v = tf.get_variable("v", [])
    tf.add_to_collection("mine", v)
    tf.add_to_collection("mine", v)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, v)
    rec.names("mine", tf.get_collection("mine"))
    rec.names("update", tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    rec("empty", tf.get_collection("nothing"))


def scenario_collections_get_collection_returns_copy(tf, rec):
    tf.get_variable("v", [])
    c = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
    c.append("junk")
    rec("len", len(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)))


def scenario_collections_get_variable_trainable_false(tf, rec):
    # testGetTrainableVariablesWithGetVariable (no sync args)
    tf.get_variable("a", [])
    with tf.variable_scope("foo"):
        tf.get_variable("b", [])
        nt = tf.get_variable("c", [], trainable=False)
    rec.names("trainable foo", tf.trainable_variables("foo"))
    rec.names("global foo", tf.global_variables("foo"))
    rec.names("all trainable", tf.trainable_variables())
    rec("nt.trainable", getattr(nt, "trainable", None))


def scenario_collections_tf_variable_trainable_scope(tf, rec):
    # testGetTrainableVariablesWithVariable
    tf.Variable(1.0, name="a")
    with tf.variable_scope("foo"):
        tf.Variable(1.0, name="b")
        tf.Variable(1.0, name="c", trainable=False)
    rec.names("trainable foo", tf.trainable_variables("foo"))
    rec.names("global", tf.global_variables())


def scenario_collections_get_variable_collections_arg(tf, rec):
    # testGetLocalVariables via collections=[LOCAL_VARIABLES]
    tf.get_variable("a", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.variable_scope("foo"):
        tf.get_variable("b", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
        tf.get_variable("c", [])
    L = tf.GraphKeys.LOCAL_VARIABLES
    rec.names("local foo", tf.get_collection(L, "foo/"))
    rec.names("local", tf.get_collection(L))
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())


def scenario_collections_custom_collection_and_trainable(tf, rec):
    v = tf.get_variable("v", [], collections=["mine"])
    w = tf.get_variable("w", [], collections=["mine"], trainable=False)
    rec.names("mine", tf.get_collection("mine"))
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        rec.same("reuse from store", tf.get_variable("v", []), v)
    rec(w.name, True)


def scenario_collections_global_variables_order(tf, rec):
    tf.get_variable("z", [])
    tf.Variable(0.0, name="a")
    with tf.variable_scope("m"):
        tf.get_variable("b", [])
    tf.get_variable("c", [], trainable=False)
    rec.names("order", tf.global_variables())
    rec.names("trainable order", tf.trainable_variables())


def scenario_collections_graphkeys_values(tf, rec):
    K = tf.GraphKeys
    rec(
        "keys",
        [
            K.GLOBAL_VARIABLES,
            K.TRAINABLE_VARIABLES,
            K.REGULARIZATION_LOSSES,
            K.UPDATE_OPS,
            K.LOCAL_VARIABLES,
        ],
    )


def scenario_collections_empty_list_and_trainable(tf, rec):
    tf.get_variable("a", [], collections=[])
    tf.get_variable("b", [], collections=[], trainable=False)
    tf.get_variable("c", [], collections=[tf.GraphKeys.TRAINABLE_VARIABLES], trainable=False)
    tf.Variable(0.0, name="d", collections=[])
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())


def scenario_collections_empty_scope_filter(tf, rec):
    tf.add_to_collection("mixed", 3)
    tf.get_variable("v", [])
    tf.add_to_collection("mixed", tf.global_variables()[0])
    rec("None scope", len(tf.get_collection("mixed", None)))
    rec("empty scope", len(tf.get_collection("mixed", "")))


def scenario_collections_trainable_variables_after_reuse(tf, rec):
    with tf.variable_scope("a"):
        tf.get_variable("v", [])
    for _ in range(3):
        with tf.variable_scope("a", reuse=True):
            tf.get_variable("v", [])
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())
