"""Looking at minitf models: graphs for TensorBoard/Graphviz, parameter tables.

`graph_def_from_function` / `write_graph` export a JAX function's jaxpr as a
TensorBoard graph whose boxes are minitf's scopes; `to_dot` / `write_dot`
draw the same graph with Graphviz; `param_table` lists variables per scope.
"""

from .graph_dot import to_dot, write_dot
from .graph_export import graph_def_from_function, write_graph
from .param_table import ParamTable, format_bytes, param_table, param_table_html, summarize_params

__all__ = [
                          "ParamTable",
                          "format_bytes",
                          "graph_def_from_function",
                          "param_table",
                          "param_table_html",
                          "summarize_params",
                          "to_dot",
                          "write_dot",
                          "write_graph",
]
