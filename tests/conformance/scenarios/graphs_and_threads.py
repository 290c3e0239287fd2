"""Graphs and threads: each ``tf.Graph`` has its own store and name scopes; scope
state is per thread, while the store is shared by the graph.
"""

import threading


def scenario_var_scope_two_graphs_invalid_root(tf, rec):
    # testTwoGraphs
    def f():
        g1 = tf.Graph()
        g2 = tf.Graph()
        with g1.as_default():
            with g2.as_default():
                with tf.variable_scope("_"):
                    pass

    rec.expect_error(f, "underscore in nested graphs")


def scenario_default_graph_identity(tf, rec):
    g = tf.Graph()
    with g.as_default():
        rec("is default", tf.get_default_graph() is g)
        with tf.variable_scope("a"):
            tf.get_variable("v", [])
        rec("n vars", len(tf.global_variables()))
    rec("outer has none", len(tf.global_variables()))
    rec("is default after", tf.get_default_graph() is g)


def scenario_graphs_have_separate_stores(tf, rec):
    g1 = tf.Graph()
    g2 = tf.Graph()
    with g1.as_default():
        with tf.variable_scope("a"):
            v1 = tf.get_variable("v", [1])
    with g2.as_default():
        with tf.variable_scope("a"):
            v2 = tf.get_variable("v", [1])
        with tf.variable_scope("a") as s:
            rec("ns in g2", s.original_name_scope)
    rec("names", [v1.name, v2.name])
    rec.same("distinct", v1, v2)
    with g1.as_default():
        with tf.variable_scope("a") as s:
            rec("ns in g1", s.original_name_scope)
        with tf.variable_scope("a", reuse=True):
            rec.same("g1 reuse", tf.get_variable("v", [1]), v1)


def scenario_thread_disjoint_scope_entry(tf, rec):
    # testTwoThreadsDisjointScopeEntry
    graph = tf.get_default_graph()
    out = []

    def thread_fn(i):
        with graph.as_default():
            with tf.variable_scope("foo"):
                if i == 0:
                    out.append(tf.get_variable("v", []).name)
                else:
                    try:
                        tf.get_variable("v", [])
                        out.append("no error")
                    except ValueError:
                        out.append("ValueError")

    for i in range(2):
        t = threading.Thread(target=thread_fn, args=(i,))
        t.start()
        t.join()
    rec("out", out)


def scenario_thread_reenter_main_scope(tf, rec):
    # testReenterMainScope
    graph = tf.get_default_graph()
    out = []

    def thread_fn(main_thread_scope):
        with graph.as_default():
            with tf.variable_scope(main_thread_scope):
                with tf.variable_scope("foo"):
                    out.append(tf.get_variable("v", []).name)
            with tf.variable_scope("bar"):
                out.append(tf.get_variable("v", []).name)

    with tf.variable_scope("main") as main_thread_scope:
        t = threading.Thread(target=thread_fn, args=(main_thread_scope,))
        t.start()
        t.join()
        rec("main still", tf.get_variable_scope().name)
    rec("out", out)
